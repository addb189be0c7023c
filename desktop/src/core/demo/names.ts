/** Given names and surnames from across India, so the demo desk looks like a real Pune gym's. */
export const femaleNames = [
  'Aarti', 'Ananya', 'Anjali', 'Deepika', 'Divya', 'Gauri', 'Isha', 'Kavya', 'Lakshmi', 'Meera', 'Neha', 'Pooja',
  'Priya', 'Priyanka', 'Radhika', 'Rashmi', 'Sakshi', 'Shreya', 'Sneha', 'Swati', 'Tanvi', 'Vaishnavi', 'Aditi', 'Bhavna',
  'Fatima', 'Harpreet', 'Jyoti', 'Keerthana', 'Madhuri', 'Nandini', 'Pallavi', 'Ritu', 'Sayali', 'Shalini', 'Sunita', 'Zoya',
];

export const maleNames = [
  'Aarav', 'Abhishek', 'Aditya', 'Ajay', 'Amit', 'Anil', 'Arjun', 'Ashok', 'Deepak', 'Ganesh', 'Harsh', 'Karan',
  'Kiran', 'Mahesh', 'Manoj', 'Nikhil', 'Omkar', 'Pranav', 'Rahul', 'Rajesh', 'Rohan', 'Sachin', 'Sandeep', 'Siddharth',
  'Suresh', 'Tushar', 'Varun', 'Vikram', 'Vinay', 'Yash', 'Arif', 'Gurpreet', 'Imran', 'Jayesh', 'Karthik', 'Sameer',
];

export const surnames = [
  'Patil', 'Deshmukh', 'Kulkarni', 'Joshi', 'Pawar', 'Shinde', 'Jadhav', 'Gaikwad', 'Bhosale', 'Chavan', 'Deshpande', 'Kale',
  'Sharma', 'Verma', 'Gupta', 'Singh', 'Yadav', 'Mishra', 'Agarwal', 'Chauhan', 'Iyer', 'Nair', 'Menon', 'Pillai',
  'Reddy', 'Rao', 'Naidu', 'Krishnan', 'Banerjee', 'Chatterjee', 'Mukherjee', 'Das', 'Bose', 'Shah', 'Mehta', 'Desai',
  'Patel', 'Gill', 'Sandhu', 'Khan', 'Shaikh', 'Qureshi', 'Fernandes', "D'Souza", 'Hegde', 'Shetty', 'Kamath', 'Bhat',
];

/** Indian mobile number series in wide use (the first two digits). */
export const mobilePrefixes = ['98', '99', '97', '96', '95', '94', '93', '91', '90', '89', '88', '87', '86', '85', '84', '83', '82', '81', '80', '79', '78', '77', '76', '75', '74', '73', '70', '63', '62'];
